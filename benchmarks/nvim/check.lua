-- Neovim as an author uses it, headless: open a scene file, delete the last letter of a
-- goto's scene id (one keystroke: an incremental didChange), wait for the diagnostics, put
-- it back, then ask for completion right after `goto: `. Writes what it saw to $OUT.
--
--   OFFSCREEN_PYTHON=.venv/bin/python OUT=/tmp/seen.txt SCENE=docs/example/scenes.yaml \
--     nvim --headless -u benchmarks/nvim/init.lua -c "luafile benchmarks/nvim/check.lua"
--
-- NEEDLE (default "goto: kitchen") picks the line. Use a copy of the story: nothing is
-- saved, but the buffer is edited.
local out = assert(os.getenv("OUT"))
local file = assert(os.getenv("SCENE"))
local needle = os.getenv("NEEDLE") or "goto: kitchen"
local lines_out = {}
local function say(s) table.insert(lines_out, s) end
local function clock() return vim.loop.hrtime() / 1e9 end
local function diags(buf) return vim.diagnostic.get(buf) end
local function has_error(buf, text)
  for _, d in ipairs(diags(buf)) do
    if d.severity == vim.diagnostic.severity.ERROR and (not text or d.message:find(text, 1, true)) then return true end
  end
  return false
end
local buf = vim.fn.bufadd(file)
-- the first publishDiagnostics (possibly empty) marks the first check done
local first = nil
local handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and vim.uri_to_bufnr(result.uri) == buf then first = first or clock() end
  vim.b[buf].published = (vim.b[buf].published or 0) + 1
  return handler(err, result, ctx, config)
end
local t0 = clock()
vim.cmd("edit " .. file)
vim.wait(120000, function()
  return #vim.lsp.buf_get_clients(buf) > 0
end, 50)
vim.wait(180000, function() return first ~= nil end, 50)
say(string.format("first diagnostics after opening: %.2f s", (first or clock()) - t0))
-- introduce the mistake the way typing does: an edit of one line (incremental didChange)
local text = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row
for i, l in ipairs(text) do if l:find(needle, 1, true) then row = i - 1 break end end
local line = text[row + 1]
local col = line:find(needle, 1, true) - 1 + #needle
local target = needle:gsub("^goto: ", "")
local typo = target:sub(1, -2)  -- drop its last letter: kitchen -> kitche
local t1 = clock()
vim.api.nvim_buf_set_text(buf, row, col - 1, row, col, {})
vim.wait(60000, function() return has_error(buf, "'" .. typo .. "'") end, 10)
say(string.format("typo -> diagnostics: %.3f s (the server waits 0.15 s of quiet first)", clock() - t1))
for _, d in ipairs(diags(buf)) do
  say(string.format("%s:%d:%d: %s: %s", vim.fn.fnamemodify(file, ":t"), d.lnum + 1, d.col + 1,
    vim.diagnostic.severity[d.severity], d.message))
end
-- fix it again
local t2 = clock()
vim.api.nvim_buf_set_text(buf, row, col - 1, row, col - 1, { target:sub(-1) })
vim.wait(60000, function() return not has_error(buf) end, 10)
say(string.format("fixed -> diagnostics cleared: %.3f s, errors left: %d", clock() - t2,
  #vim.tbl_filter(function(d) return d.severity == 1 end, diags(buf))))
-- completion right after `goto: `
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) },
                 position = { line = row, character = line:find("goto: ", 1, true) - 1 + 6 } }
local t3 = clock()
local responses = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 10000)
local labels = {}
for _, r in pairs(responses or {}) do
  local items = r.result and (r.result.items or r.result) or {}
  for _, item in ipairs(items) do table.insert(labels, item.label) end
end
say(string.format("completion after 'goto: ' (%.1f ms): %d items: %s", (clock() - t3) * 1000,
  #labels, table.concat(vim.list_slice(labels, 1, 8), ", ")))
vim.fn.writefile(lines_out, out)
vim.cmd("qa!")

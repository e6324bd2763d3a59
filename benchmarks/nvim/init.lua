-- A minimal Neovim setup for `offscreen lsp`, used by check.lua (Neovim 0.7's API:
-- start_client + buf_attach_client; on 0.8+ vim.lsp.start({...}) does both). The client is
-- started in the story folder: the nearest folder up with a file holding `story:`.
-- OFFSCREEN_PYTHON: the Python with the game installed (default python3).
local python = os.getenv("OFFSCREEN_PYTHON") or "python3"
local function story_root(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  while dir ~= "/" do
    for _, f in ipairs(vim.fn.glob(dir .. "/*.yaml", false, true)) do
      for _, line in ipairs(vim.fn.readfile(f, "", 200)) do
        if line:match("^story:") then return dir end
      end
    end
    dir = vim.fn.fnamemodify(dir, ":h")
  end
  return vim.fn.fnamemodify(file, ":p:h")
end
local clients = {}
vim.api.nvim_create_autocmd("FileType", {
  pattern = "yaml",
  callback = function(args)
    local root = story_root(vim.api.nvim_buf_get_name(args.buf))
    if not clients[root] then
      clients[root] = vim.lsp.start_client({
        name = "offscreen", cmd = { python, "-m", "game", "lsp" }, root_dir = root,
        workspace_folders = { { uri = vim.uri_from_fname(root), name = "story" } },
      })
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})

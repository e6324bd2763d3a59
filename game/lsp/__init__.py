"""`offscreen lsp`: a language server for story authors (see docs/author-tools.md).

`server` wires pygls to the pure modules beside it, which know nothing of the protocol
library and are tested without a client: `index` (where names are defined and used),
`lookup` (the whole story's index), `complete`, `hover`, `rename`, `problems` (checker
diagnostics as editor ranges, with their quick fixes).
"""

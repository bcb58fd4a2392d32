-- Drives lync-kst's language server from Neovim 0.7 (Debian 12's), the way a user's config does:
-- vim.lsp.start_client, a buffer attached, diagnostics, a hover, the preferred code action applied
-- as Neovim applies it, the files saved. Writes what it saw as JSON to $LYNC_KST_RESULT for
-- test/editors.test.ts, which checks it and the files on disk.
local server = os.getenv('LYNC_KST_SERVER')
local root = os.getenv('LYNC_KST_WORKSPACE')
local result_file = os.getenv('LYNC_KST_RESULT')
local seen = { steps = {} }

local function step(name, value)
  table.insert(seen.steps, name)
  if value ~= nil then seen[name] = value end
end

local function finish(err)
  seen.error = err
  local f = assert(io.open(result_file, 'w'))
  f:write(vim.fn.json_encode(seen))
  f:close()
  vim.cmd('qa!')
end

local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(out, lsp.code or d.code)
  end
  return out
end

local function has(list, value)
  for _, v in ipairs(list) do if v == value then return true end end
  return false
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'lync-kst',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'contoso' } },
  })
  assert(client_id, 'the client did not start')
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/topology.xml'))
  local topology = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(topology, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local plans = vim.uri_to_bufnr(vim.uri_from_fname(root .. '/contoso.umdialplans.json'))

  assert(vim.wait(30000, function() return has(codes(topology), 'KST001') and has(codes(plans), 'KST001') end, 50),
    'no KST001 on the topology and the dial plan')
  step('kst001', { topology = codes(topology), plans = codes(plans) })

  -- The trusted pool's Cluster FQDN.
  local lines = vim.api.nvim_buf_get_lines(topology, 0, -1, false)
  local line, col
  for i, l in ipairs(lines) do
    local s = l:find('<Cluster [^>]*Fqdn="ex1%.contoso%.com"')
    if s then line = i - 1; col = l:find('ex1%.contoso%.com') - 1; break end
  end
  assert(line, 'no ex1 Cluster in the topology')
  local position = { textDocument = { uri = vim.uri_from_bufnr(topology) }, position = { line = line, character = col + 2 } }
  local hover = client.request_sync('textDocument/hover', position, 10000, topology)
  assert(hover and hover.result, 'no hover: ' .. vim.inspect(hover and hover.err))
  step('hover', hover.result.contents.value)

  -- Navigation as Neovim asks for it: the outline, go to definition from the trusted pool's
  -- service (its InstalledOn/ClusterId) to the cluster, the code lenses.
  local uri = vim.uri_from_bufnr(topology)
  local symbols = client.request_sync('textDocument/documentSymbol', { textDocument = { uri = uri } }, 10000, topology)
  assert(symbols and symbols.result, 'no outline: ' .. vim.inspect(symbols and symbols.err))
  local names = {}
  for _, sym in ipairs(symbols.result) do table.insert(names, sym.name) end
  step('outline', names)
  local installed
  for i, l in ipairs(lines) do
    if l:find('<ClusterId SiteId="1" Number="4" />', 1, true) then installed = i - 1 end
  end
  local definition = client.request_sync('textDocument/definition', {
    textDocument = { uri = uri },
    position = { line = installed, character = 12 },
  }, 10000, topology)
  assert(definition and definition.result and definition.result[1], 'no definition: ' .. vim.inspect(definition))
  local target = definition.result[1].targetRange or definition.result[1].range
  step('definition', { from = installed, to = target.start.line, cluster = line })
  local lenses = client.request_sync('textDocument/codeLens', { textDocument = { uri = uri } }, 10000, topology)
  assert(lenses and lenses.result, 'no code lenses: ' .. vim.inspect(lenses and lenses.err))
  local titles = {}
  for _, lens in ipairs(lenses.result) do table.insert(titles, lens.command.title) end
  step('lenses', titles)

  local diagnostic
  for _, d in ipairs(vim.lsp.diagnostic.get_line_diagnostics(topology, line)) do
    if d.code == 'KST001' then diagnostic = d end
  end
  assert(diagnostic, 'no KST001 at the Cluster line')
  local actions = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(topology) },
    range = diagnostic.range,
    context = { diagnostics = { diagnostic } },
  }, 20000, topology)
  assert(actions and actions.result, 'no code actions: ' .. vim.inspect(actions and actions.err))
  local preferred
  local titles = {}
  for _, a in ipairs(actions.result) do
    table.insert(titles, a.title)
    if a.isPreferred then preferred = a end
  end
  step('actions', titles)
  assert(preferred, 'no preferred code action')
  if not preferred.edit and preferred.data then
    preferred = client.request_sync('codeAction/resolve', preferred, 20000, topology).result
  end
  assert(preferred.edit, 'the preferred action has no edit')
  -- As vim.lsp.buf.code_action applies an action: the edit, then the command.
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  if preferred.command then
    client.request_sync('workspace/executeCommand', preferred.command, 10000, topology)
  end
  vim.cmd('silent wall')
  step('applied', preferred.title)

  assert(vim.wait(30000, function() return not has(codes(topology), 'KST001') and not has(codes(plans), 'KST001') end, 50),
    'KST001 still shown after the fix: topology ' .. vim.inspect(codes(topology)) .. ', plans ' .. vim.inspect(codes(plans)))
  step('clean', { topology = codes(topology), plans = codes(plans) })
  client.stop()
end)

finish(not ok and tostring(err) or vim.NIL)

# One scheduled run: codexsync sync --dry-run|--apply, its output appended to $LogFile and
# its exit code passed through (0 ok, 2 conflict, 3 Codex running, 4 config, 5 safe abort).
$ErrorActionPreference = "Stop"
. (Join-Path $PSScriptRoot "task.config.ps1")

switch ($Mode) {
  "apply" { $flag = "--apply" }
  "dry-run" { $flag = "--dry-run" }
  default { Write-Error "run-codexsync.ps1: Mode must be dry-run or apply, not '$Mode'"; exit 4 }
}

New-Item -ItemType Directory -Force -Path (Split-Path $LogFile) | Out-Null
Add-Content -Path $LogFile -Encoding UTF8 -Value ("=== {0:u} codexsync sync {1}" -f (Get-Date).ToUniversalTime(), $flag)
& $CodexSyncBin -c $CodexSyncConfig --manual-terminate-confirmation sync $flag *>> $LogFile
$code = $LASTEXITCODE
Add-Content -Path $LogFile -Encoding UTF8 -Value "=== exit code $code"
exit $code

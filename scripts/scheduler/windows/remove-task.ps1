# Removes the scheduled task that install-task.ps1 registered.
$ErrorActionPreference = "Stop"
. (Join-Path $PSScriptRoot "task.config.ps1")

if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
  Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
  Write-Output "Removed '$TaskName'"
} else {
  Write-Output "No task named '$TaskName'"
}

# Registers the per-user scheduled task that runs run-codexsync.ps1 every $IntervalMinutes.
$ErrorActionPreference = "Stop"
. (Join-Path $PSScriptRoot "task.config.ps1")

if ($IntervalMinutes -lt 1) { Write-Error "IntervalMinutes must be 1 or more"; exit 4 }
$runner = Join-Path $PSScriptRoot "run-codexsync.ps1"
$action = New-ScheduledTaskAction -Execute "powershell.exe" -Argument "-NoProfile -ExecutionPolicy Bypass -WindowStyle Hidden -File `"$runner`""
$trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes $IntervalMinutes)
# IgnoreNew: a run still going when the next one is due is not started twice.
$settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -StartWhenAvailable -DontStopIfGoingOnBatteries -AllowStartIfOnBatteries
$principal = New-ScheduledTaskPrincipal -UserId $env:USERNAME -LogonType Interactive -RunLevel Limited
Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings -Principal $principal -Force | Out-Null
Write-Output "Installed '$TaskName': runs '$Mode' every $IntervalMinutes minutes; output in $LogFile"

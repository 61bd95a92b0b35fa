# Settings of the codexSync scheduled task. Edit, then run .\install-task.ps1.

# The codexsync command: the app's bundled CLI, or codexsync on your PATH.
$CodexSyncBin = "$env:LOCALAPPDATA\Programs\codexSync\resources\cli\codexsync.cmd"
# The config file to use.
$CodexSyncConfig = "$env:APPDATA\codexsync\config.toml"
# "dry-run" while you check what it would do; "apply" to hand off for real.
$Mode = "dry-run"
# Minutes between runs.
$IntervalMinutes = 10
# Per-user task name, so that several users of one PC never share a task.
$TaskName = "codexSync sync ($env:USERNAME)"
# Where each run's output goes.
$LogFile = "$env:LOCALAPPDATA\codexsync\scheduler.log"

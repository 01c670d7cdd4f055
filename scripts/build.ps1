# Build the one-folder program dist\wangjiantong\ on Windows with PyInstaller (build.spec),
# then prove it works: the frozen wangjiantong-cli.exe --self-test must pass.
#
#   powershell -ExecutionPolicy Bypass -File scripts\build.ps1 [-Python C:\path\to\python.exe]
#
# Exit code 0 only when the build and the frozen self-test both succeed.
# Untested on Windows so far (written beside scripts/build.sh, which is run on Linux).
param([string]$Python = "python")

$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)
# Chinese output of the self-test: read the child's UTF-8 correctly in this console.
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$env:PYTHONIOENCODING = "utf-8"

& $Python -m PyInstaller --version *> $null
if ($LASTEXITCODE -ne 0) {
    Write-Host "PyInstaller missing: installing the project with its build extras"
    & $Python -m pip install -q -e ".[build]"
    if ($LASTEXITCODE -ne 0) { Write-Error "pip install failed"; exit 1 }
}

$timer = [System.Diagnostics.Stopwatch]::StartNew()
& $Python -m PyInstaller --noconfirm --clean --log-level WARN build.spec
if ($LASTEXITCODE -ne 0) { Write-Error "PyInstaller failed"; exit 1 }
$size = (Get-ChildItem -Recurse -File "dist\wangjiantong" | Measure-Object -Sum Length).Sum / 1MB
Write-Host ("built dist\wangjiantong\ in {0:N0} s, {1:N0} MB" -f $timer.Elapsed.TotalSeconds, $size)

# The console executable: the windowed wangjiantong.exe has no stdout to report on.
# Run from the temp folder so nothing is found through the source tree by accident.
$cli = Join-Path (Get-Location) "dist\wangjiantong\wangjiantong-cli.exe"
Push-Location $env:TEMP
try {
    $env:QT_QPA_PLATFORM = "offscreen"
    & $cli --self-test
    $code = $LASTEXITCODE
} finally {
    Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
    Pop-Location
}
if ($code -ne 0) {
    Write-Error "FAILED: the frozen program's self-test did not pass (see the step above)"
    exit 1
}
Write-Host "frozen self-test passed"

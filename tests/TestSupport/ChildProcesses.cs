using System.Diagnostics;

namespace Drover.TestSupport;

/// <summary>
/// Every process a test starts gets a pid file in DROVER_TEST_PIDS (set by scripts/test.sh), so that the test
/// command can stop them by pid even when the test host itself died before its fixtures were disposed.
/// </summary>
public static class ChildProcesses
{
    public static void Record(Process process)
    {
        if (Environment.GetEnvironmentVariable("DROVER_TEST_PIDS") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"{process.Id}.pid"), process.Id.ToString());
    }
}

using System.Diagnostics;

namespace Drover.TestSupport;

/// <summary>
/// Every process a test starts gets a pid file in DROVER_TEST_PIDS (set by scripts/test.sh), so that the test
/// command can stop them by pid even when the test host itself died before its fixtures were disposed.
/// </summary>
public static class ChildProcesses
{
    /// <summary>Starts the process with a pid file, its standard output and error going to <paramref name="log"/>.</summary>
    public static Process Start(ProcessStartInfo psi, string log)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        var process = Process.Start(psi)!;
        Record(process);
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Record(Process process)
    {
        if (Environment.GetEnvironmentVariable("DROVER_TEST_PIDS") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"{process.Id}.pid"), process.Id.ToString());
    }
}

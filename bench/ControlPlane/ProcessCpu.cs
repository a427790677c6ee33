namespace Drover.ControlPlaneBench;

/// <summary>CPU time (user + system) a process and its live children have spent, from /proc.</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;   // USER_HZ on Linux

    /// <summary>Milliseconds of CPU <paramref name="pid"/> has used, with the processes it started that still run (PostgreSQL's
    /// backends under the postmaster) and those it has waited for.</summary>
    public static double Milliseconds(int pid, bool withChildren = false)
    {
        double ms = Own(pid, includeReaped: withChildren);
        if (!withChildren) return ms;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int child) || child == pid) continue;
            if (Fields(child) is { } f && int.TryParse(f[1], out int parent) && parent == pid) ms += Own(child, includeReaped: false);
        }
        return ms;
    }

    private static double Own(int pid, bool includeReaped)
    {
        if (Fields(pid) is not { } f) return 0;
        // After the command's ")": state ppid ... utime(14) stime(15) cutime(16) cstime(17), counted from field 3 = index 0.
        long ticks = long.Parse(f[11]) + long.Parse(f[12]);
        if (includeReaped) ticks += long.Parse(f[13]) + long.Parse(f[14]);
        return ticks * 1000 / TicksPerSecond;
    }

    private static string[]? Fields(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}

using System.Globalization;
using Xunit;

namespace Drover.TestSupport;

/// <summary>The lab guest prints "tick N" (hex) about four times a second; its serial log proves a running VM moved without losing state.</summary>
public static class SerialCounter
{
    public static IReadOnlyList<long> Ticks(string log) =>
        log.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("tick ", StringComparison.Ordinal) && l.Length == 13)
            .Select(l => long.Parse(l.AsSpan(5), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>The guest still counts on <paramref name="host"/>: two more ticks come after the ones printed so far.</summary>
    public static Task AssertKeepsCounting(LabHost host, string domain) =>
        Lab.WaitForTicks(host, domain, Ticks(host.SerialLog(domain)).Count + 2);

    /// <summary>The last tick on the source is followed by exactly the next tick on the destination, and the destination keeps
    /// counting. Read as the guest's one output stream, the source's log and then the destination's: a line the guest had
    /// begun at the switch may end on the destination (QEMU migrates the serial port's bytes not yet written out).</summary>
    public static async Task AssertContinues(LabHost source, LabHost destination, string domain)
    {
        await Lab.WaitForTicks(destination, domain, 2);
        string sourceLog = source.SerialLog(domain);
        var before = Ticks(sourceLog);
        Assert.NotEmpty(before);
        var across = Ticks(sourceLog + destination.SerialLog(domain)).Skip(before.Count - 1).Take(3);
        Assert.Equal([before[^1], before[^1] + 1, before[^1] + 2], across);
    }
}

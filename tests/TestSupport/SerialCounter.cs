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

    /// <summary>The last tick on the source is followed by exactly the next tick on the destination, and the destination keeps counting.</summary>
    public static async Task AssertContinues(LabHost source, LabHost destination, string domain)
    {
        await Lab.WaitForTicks(destination, domain, 2);
        var before = Ticks(source.SerialLog(domain));
        var after = Ticks(destination.SerialLog(domain));
        Assert.NotEmpty(before);
        Assert.Equal(before[^1] + 1, after[0]);
        Assert.Equal(after[0] + 1, after[1]);
    }
}

using Drover.Contracts;
using Drover.Contracts.Migrations;

namespace Drover.Coordinator.Migrations;

/// <summary>Checks a <see cref="MigrateVm"/> on its own, before any host is asked. Pure: the same request always gets the same answer.</summary>
public static class MigrationRequestValidator
{
    public static RequestProblem? Validate(MigrateVm m)
    {
        if (m.MigrationId == Guid.Empty) return new(nameof(m.MigrationId), "MigrationId is required");
        if (CheckVm(m.Vm) is { } vm) return vm;
        if (CheckHost(nameof(m.SourceHost), m.SourceHost) is { } source) return source;
        if (m.DestinationHost is not null)
        {
            if (CheckHost(nameof(m.DestinationHost), m.DestinationHost) is { } destination) return destination;
            if (m.DestinationHost == m.SourceHost) return new(nameof(m.DestinationHost), $"DestinationHost is the source host '{m.SourceHost}'");
        }
        if (!Enum.IsDefined(m.Kind)) return new(nameof(m.Kind), $"Kind {(int)m.Kind} is unknown: use Live, NonLive or Offline");
        if (CheckTuning(m.BandwidthMiBps, m.MaxDowntimeMs) is { } tuning) return tuning;
        if (m.Kind != MigrationKind.Live)
        {
            if (m.PostCopyAllowed) return new(nameof(m.PostCopyAllowed), "PostCopyAllowed applies to live migrations only");
            if (m.AutoConverge) return new(nameof(m.AutoConverge), "AutoConverge applies to live migrations only");
            if (m.FallBackToNonLiveAllowed) return new(nameof(m.FallBackToNonLiveAllowed), "FallBackToNonLiveAllowed applies to live migrations only");
        }
        if (m.Kind == MigrationKind.Offline && (m.BandwidthMiBps is not null || m.MaxDowntimeMs is not null))
            return new(m.BandwidthMiBps is not null ? nameof(m.BandwidthMiBps) : nameof(m.MaxDowntimeMs), "An offline migration moves no memory: bandwidth and downtime do not apply");
        if (m.Priority is < -100 or > 100) return new(nameof(m.Priority), "Priority must be between -100 and 100");
        if (m.MaxAttempts is < 1 or > 10) return new(nameof(m.MaxAttempts), $"MaxAttempts must be between 1 and 10, not {m.MaxAttempts}");
        if (m.UndefineSource && !m.Persistent && m.Kind != MigrationKind.Offline)
            return new(nameof(m.UndefineSource), "UndefineSource without Persistent would leave the VM only as a transient domain on the destination, gone at its next shutdown: add Persistent");
        if (m.RequestedBy is { Length: > 200 }) return new(nameof(m.RequestedBy), "RequestedBy is longer than 200 characters");
        return null;
    }

    /// <summary>A bandwidth and a maximum downtime in range (a request's, or an operator's change to a running transfer).</summary>
    public static RequestProblem? CheckTuning(long? bandwidthMiBps, long? maxDowntimeMs)
    {
        if (bandwidthMiBps is <= 0) return new("BandwidthMiBps", $"BandwidthMiBps must be positive, not {bandwidthMiBps}");
        if (bandwidthMiBps is > 1_000_000) return new("BandwidthMiBps", "BandwidthMiBps must be at most 1000000 MiB/s");
        if (maxDowntimeMs is <= 0) return new("MaxDowntimeMs", $"MaxDowntimeMs must be positive, not {maxDowntimeMs}");
        if (maxDowntimeMs is > 600_000) return new("MaxDowntimeMs", "MaxDowntimeMs must be at most 600000 ms");
        return null;
    }

    private static RequestProblem? CheckVm(string? vm)
    {
        if (string.IsNullOrWhiteSpace(vm)) return new("Vm", "Vm is required (a domain name or UUID)");
        if (Guid.TryParse(vm, out _)) return null;
        if (vm.Length > Names.MaxDomainNameLength) return new("Vm", $"Vm is {vm.Length} characters long; at most {Names.MaxDomainNameLength}");
        return Names.IsDomain(vm) ? null : new("Vm", $"Vm '{vm}' may contain only letters, digits, '_', '.', '+' and '-', and must start with a letter or digit");
    }

    private static RequestProblem? CheckHost(string field, string? host)
    {
        if (string.IsNullOrWhiteSpace(host)) return new(field, $"{field} is required");
        return Names.IsHost(host) ? null : new(field, $"{field} '{Shorten(host)}' is not a host name ({Names.HostRule})");
    }

    private static string Shorten(string s) => s.Length <= 70 ? s : s[..70] + "…";
}

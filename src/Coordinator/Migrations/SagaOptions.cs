using System.ComponentModel.DataAnnotations;

namespace Drover.Coordinator.Migrations;

/// <summary>Step deadlines and admission limits.</summary>
public sealed class SagaOptions
{
    public const string Section = "Migrations";

    /// <summary>Deadline of a quick step (validation, define, cut-over, clean-up, compensation).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a memory transfer may go without a progress report.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TransferSilenceTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a transfer may go on without sending a byte more before it is aborted and rolled back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TransferStallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a compensation, clean-up or facts query keeps being sent again to a host that cannot be reached
    /// (libvirtd restarting, agent away) before the migration stops in NeedsAttention.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CompensationPatience { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many times a compensation libvirt refused for a reason that may pass (a hypervisor error: a disk lock still
    /// held by a QEMU on its way out, a job just ending) is sent again, with the same backoff, before the migration stops in
    /// NeedsAttention. A refusal that cannot pass (the domain is not there, not in a state to resume) stops it at once.</summary>
    [Range(0, 20)]
    public int CompensationRetries { get; set; } = 3;

    /// <summary>The first wait before a step is sent again to an unreachable host; it doubles up to <see cref="ResendBackoffMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ResendBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ResendBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of a migration that an infrastructure fault rolls back, unless the request says (MaxAttempts).</summary>
    [Range(1, 10)]
    public int DefaultMaxAttempts { get; set; } = 3;

    /// <summary>The wait before a second attempt; it doubles for each further one up to <see cref="RetryBackoffMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 64)]
    public int MaxOutgoingPerHost { get; set; } = 2;

    [Range(1, 64)]
    public int MaxIncomingPerHost { get; set; } = 2;

    [Range(1, 1024)]
    public int MaxConcurrent { get; set; } = 8;

    /// <summary>A host whose last heartbeat is older than this is Down (3 missed heartbeats of 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HostDownAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the sweeper looks for overdue steps and the admission controller for queued migrations.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The bandwidth a pre-flight assumes when the request names none (libvirt's own limit is the network's).</summary>
    [Range(1, 1_000_000)]
    public long PreflightBandwidthMiBps { get; set; } = 1000;

    /// <summary>The maximum downtime a pre-flight assumes when the request names none: the agents' ladder ceiling
    /// (<c>Agent:Convergence:DefaultMaxDowntimeMs</c>).</summary>
    [Range(1, 600_000)]
    public long PreflightMaxDowntimeMs { get; set; } = 500;
}

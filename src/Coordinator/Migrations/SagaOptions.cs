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
}

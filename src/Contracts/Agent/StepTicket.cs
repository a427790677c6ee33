namespace Drover.Contracts.Agent;

/// <summary>
/// Which step of which attempt of a migration a command belongs to, and until when it may still be carried out.
/// The coordinator writes it on every command; the agent echoes it on every event it publishes for that command,
/// so the coordinator acts only on answers to the step it is waiting for.
/// </summary>
public sealed record StepTicket
{
    /// <summary>The step of a pre-flight's commands (validation, and the clean-up of its probes): the agent answers the
    /// requester instead of publishing the outcome, and nothing of it is kept.</summary>
    public const string PreflightStep = "Preflight";

    /// <summary>The step, by the coordinator's name for it (e.g. <c>TransferringMemory</c>).</summary>
    public required string Step { get; init; }

    /// <summary>The migration's attempt (1 for the first; a migration rolled back by an infrastructure fault is tried again).</summary>
    public required int Attempt { get; init; }

    /// <summary>Counts the steps the migration has started: a re-sent command keeps its sequence, a new step gets the next one.</summary>
    public required int Sequence { get; init; }

    /// <summary>After this instant the command is stale: an agent refuses it without touching libvirt (<see cref="StepExpired"/>).</summary>
    public required DateTimeOffset NotAfter { get; init; }
}

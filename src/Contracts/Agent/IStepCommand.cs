using MassTransit;

namespace Drover.Contracts.Agent;

/// <summary>A command of one migration step, to one host's agent.</summary>
[ExcludeFromTopology]
public interface IStepCommand
{
    /// <summary>The migration.</summary>
    Guid MigrationId { get; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    StepTicket Ticket { get; }
}

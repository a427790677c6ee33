using Drover.Contracts.Hosts;
using MassTransit;

namespace Drover.Contracts.Agent;

/// <summary>An agent's answer to a step command (or a report while it runs); it carries the command's ticket back.</summary>
[ExcludeFromTopology]
public interface IStepEvent : IHostReport
{
    /// <summary>The migration.</summary>
    Guid MigrationId { get; }

    /// <summary>The ticket of the command this answers.</summary>
    StepTicket Ticket { get; }
}

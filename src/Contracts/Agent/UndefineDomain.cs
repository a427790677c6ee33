namespace Drover.Contracts.Agent;

/// <summary>Compensation, to the destination host: remove the inactive definition made by <see cref="DefineDomain"/>, or
/// put back the one it replaced. A running domain is never touched.</summary>
public sealed record UndefineDomain : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>Define again the definition the host had before the migration (kept there since DefineDomain) instead of undefining.</summary>
    public bool RestorePrevious { get; init; }
}

namespace Drover.Contracts.Agent;

/// <summary>Compensation, to the destination host: the cut-over failed, so move the (paused) domain back to the source, where it is resumed.</summary>
public sealed record MigrateBack : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The source's libvirt URI as the destination's libvirtd reaches it.</summary>
    public required string SourceMigrationUri { get; init; }
}

namespace Drover.Contracts.Agent;

/// <summary>To the destination host: check that it can take the domain (<see cref="Requirements"/>), then define the migratable
/// XML, inactive. This reserves the name and UUID.</summary>
public sealed record DefineDomain : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name, as the source reported it when the migration was validated: the XML must be of it.</summary>
    public required string DomainName { get; init; }

    /// <summary>The domain's UUID, as the source reported it.</summary>
    public required Guid DomainUuid { get; init; }

    /// <summary>The domain's migratable XML from the source.</summary>
    public required string MigratableXml { get; init; }

    /// <summary>Images to create (empty) before defining, for a storage copy; the destination creates only paths in its
    /// local storage that do not exist yet, remembers what it created, and deletes it again when the migration rolls back.</summary>
    public IReadOnlyList<DiskImage> CreateDisks { get; init; } = [];

    /// <summary>The images arrive whole, streamed between the libvirt daemons (an offline migration): each is created as an
    /// empty volume of the storage pool over its directory, which the stream fills byte for byte.</summary>
    public bool StreamDisks { get; init; }

    /// <summary>The destination's half of the validation, checked before anything is created or defined: a refusal of these
    /// checks is answered as a <see cref="StepFailed"/> whose <see cref="StepFailed.Step"/> is <c>ValidateDestination</c>, and
    /// means nothing changed on this host. Null: no checks beyond the definition's own.</summary>
    public DestinationRequirements? Requirements { get; init; }
}

namespace Drover.Coordinator.Migrations;

/// <summary>A migration that holds host resources, as admission counts it.</summary>
public sealed record ActiveMigration(Guid Id, string Vm, string? DomainName, string SourceHost, string? DestinationHost, long MemoryKiB);

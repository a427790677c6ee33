namespace Drover.HostAgent.Libvirt;

/// <summary>What <see cref="LibvirtDomain.Migrate"/> passes to virDomainMigrateToURI3.</summary>
public sealed record MigrationRequest
{
    /// <summary>The destination libvirtd's URI (peer to peer).</summary>
    public required string DestinationUri { get; init; }

    public required MigrationFlags Flags { get; init; }

    /// <summary>Bandwidth limit in MiB/s.</summary>
    public ulong? BandwidthMiBps { get; init; }

    /// <summary>The XML to use on the destination (for example with a changed disk path).</summary>
    public string? DestinationXml { get; init; }
}

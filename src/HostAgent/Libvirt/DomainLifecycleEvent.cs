namespace Drover.HostAgent.Libvirt;

/// <summary>A lifecycle event (virDomainEventType and its detail) seen on a connection.</summary>
public sealed record DomainLifecycleEvent(string DomainName, Guid DomainUuid, DomainEventType Type, int Detail);

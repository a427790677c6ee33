namespace Drover.HostAgent.Tests.Agent;

[CollectionDefinition(Name)]
public sealed class AgentCollection : ICollectionFixture<AgentFixture>
{
    public const string Name = "agents";
}

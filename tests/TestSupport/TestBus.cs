using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Drover.TestSupport;

/// <summary>A real MassTransit bus on the test broker: sends commands and records the events of the given types.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IBusControl _bus;

    private TestBus(ServiceProvider services)
    {
        _services = services;
        _bus = services.GetRequiredService<IBusControl>();
        Events = services.GetRequiredService<EventLog>();
    }

    public EventLog Events { get; }

    public IBus Bus => _bus;

    /// <summary>A bus as the coordinator's broker user, recording the events of the <paramref name="observed"/> types.</summary>
    public static Task<TestBus> Start(IEnumerable<Type> observed) => Start(observed, Broker.CoordinatorUser, null);

    /// <summary>A bus that only sends and publishes, connected as <paramref name="user"/> (an agent's or a client's
    /// user: with its rights and its validated <c>user_id</c>), on the test broker or the one <paramref name="settings"/> name.</summary>
    public static Task<TestBus> Publisher(string user, IReadOnlyDictionary<string, string>? settings = null) => Start([], user, settings);

    private static async Task<TestBus> Start(IEnumerable<Type> observed, string user, IReadOnlyDictionary<string, string>? settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection((settings ?? Broker.Settings(user)).ToDictionary(kv => kv.Key.Replace("__", ":"), kv => (string?)kv.Value))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<EventLog>();
        var types = observed.ToList();
        services.AddDroverBus(
            x =>
            {
                foreach (var type in types) x.AddConsumer(typeof(EventRecorder<>).MakeGenericType(type)).ExcludeFromConfigureEndpoints();
            },
            (context, cfg) =>
            {
                if (types.Count > 0) cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e => e.ConfigureConsumers(context));
            },
            // Its reply queue where the user's rights allow one (scripts/broker.sh).
            _ => user.StartsWith("agent-", StringComparison.Ordinal) ? $"{Names.AgentQueue(user["agent-".Length..])}_bus_{Guid.NewGuid():N}"
                : user == "drover-client" ? $"drover-client-{Guid.NewGuid():N}" : $"drover-tests-{Guid.NewGuid():N}");
        var provider = services.BuildServiceProvider();
        var bus = new TestBus(provider);
        await bus._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return bus;
    }

    public async Task SendToAgent(string host, object command)
    {
        var endpoint = await _bus.GetSendEndpoint(QueueAddress.For(Names.AgentQueue(host)));
        await endpoint.Send(command, command.GetType());
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        await _services.DisposeAsync();
    }
}

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

    public static async Task<TestBus> Start(IEnumerable<Type> observed)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Broker.Settings().ToDictionary(kv => kv.Key.Replace("__", ":"), kv => (string?)kv.Value))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<EventLog>();
        services.AddDroverBus(
            x =>
            {
                foreach (var type in observed) x.AddConsumer(typeof(EventRecorder<>).MakeGenericType(type)).ExcludeFromConfigureEndpoints();
            },
            (context, cfg) => cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e => e.ConfigureConsumers(context)));
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

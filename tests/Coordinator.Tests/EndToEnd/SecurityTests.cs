using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Drover.Api;
using Drover.Contracts.Agent;
using Drover.Contracts.Hosts;
using Drover.ServiceDefaults;
using Drover.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// Least privilege on the bus, with the lab broker's real users (scripts/broker.sh user): an agent's credentials reach only
/// its own queue and the agent events, the broker refuses a sender who signs as another user, and the coordinator takes an
/// agent's word only about that agent's own host. The fault lab's processes talk to the broker over AMQPS.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SecurityTests(FaultLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "sec-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    private const ushort AccessRefused = 403, PreconditionFailed = 406;

    [Fact]
    public async Task An_agents_credentials_cannot_send_a_command_read_another_hosts_queue_or_sign_as_another_agent()
    {
        string a = lab.A.Name, b = lab.B.Name;
        string otherQueue = Names.AgentQueue(a);
        await using var asB = await Connect(Names.AgentUser(b));

        Assert.Equal(AccessRefused, await Refusal(asB, ch => ch.BasicConsumeAsync(otherQueue, autoAck: false, new AsyncEventingBasicConsumer(ch))));
        Assert.Equal(AccessRefused, await Refusal(asB, ch => Publish(ch, otherQueue, Names.AgentUser(b))));                       // a command to A
        Assert.Equal(AccessRefused, await Refusal(asB, ch => Publish(ch, "Drover.Contracts.Agent:TransferMemory", Names.AgentUser(b))));
        Assert.Equal(AccessRefused, await Refusal(asB, ch => Publish(ch, "Drover.Contracts.Migrations:MigrateVm", Names.AgentUser(b))));
        Assert.Equal(PreconditionFailed, await Refusal(asB, ch => Publish(ch, "Drover.Contracts.Agent:StepFailed", Names.AgentUser(a))));   // signed as A
        Assert.Equal(0, await Refusal(asB, ch => ch.ExchangeDeclareAsync("Drover.Contracts.Agent:StepFailed", ExchangeType.Fanout, durable: true)));
        Assert.Equal(0, await Refusal(asB, ch => ch.QueueDeclarePassiveAsync(Names.AgentQueue(b))));                              // its own queue
        await using (var agentB = await TestBus.Publisher(Names.AgentUser(b)))                                                   // and its own events
            await agentB.Bus.Publish(new StepFailed
            {
                MigrationId = Guid.NewGuid(), Ticket = Tickets.Valid(), Host = b, Step = nameof(TransferMemory), Code = AgentFailureCode.HypervisorError,
                Reason = "an answer about nothing the coordinator knows",
            }, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        // A service that asks for migrations may do that and nothing else.
        await using var client = await Connect("drover-client");
        Assert.Equal(AccessRefused, await Refusal(client, ch => Publish(ch, otherQueue, "drover-client")));
        Assert.Equal(AccessRefused, await Refusal(client, ch => Publish(ch, "Drover.Contracts.Agent:StepFailed", "drover-client")));
        var request = MigrationDriver.Request("no-such-vm-" + Guid.NewGuid().ToString("N")[..6], lab.A, lab.B);
        await using (var asClient = await TestBus.Publisher("drover-client"))
            await asClient.Bus.Publish(request, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        var rejected = await lab.Bus.Events.WaitFor<Contracts.Migrations.MigrationRejected>(r => r.MigrationId == request.MigrationId, TimeSpan.FromSeconds(60));
        Assert.Contains(request.Vm, rejected.Reason);
    }

    [Fact]
    public async Task Events_and_heartbeats_forged_with_another_agents_credentials_change_nothing_and_the_migration_completes()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var realUri = (await lab.Coordinator.Get<List<HostView>>("/api/hosts")).Single(h => h.Name == lab.A.Name).MigrationUri;
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 8 };
        await _driver.StartTransfer(request);
        var ticket = lab.Bus.Events.All<MemoryTransferProgressed>(p => p.MigrationId == request.MigrationId).First().Ticket;

        // A third host's agent (valid credentials, its own validated user_id) speaks for the source, and for itself.
        string intruder = (await Lab.Hosts(3))[2].Name;
        await using (var asIntruder = await TestBus.Publisher(Names.AgentUser(intruder)))
        {
            await asIntruder.Bus.Publish(new StepFailed
            {
                MigrationId = request.MigrationId, Ticket = ticket, Host = lab.A.Name, Step = nameof(TransferMemory),
                Code = AgentFailureCode.HypervisorError, Reason = "forged: the source failed",
            });
            await asIntruder.Bus.Publish(new DomainFacts
            {
                MigrationId = request.MigrationId, Ticket = ticket, Host = lab.A.Name, DomainName = _vm, Exists = false, State = null,
                Persistent = false, TransferInProgress = false,
            });
            await asIntruder.Bus.Publish(Heartbeat(lab.A.Name, "qemu+tcp://203.0.113.9/system"));
            // In its own name, with the current ticket: a host the migration never asked.
            await asIntruder.Bus.Publish(new StepFailed
            {
                MigrationId = request.MigrationId, Ticket = ticket, Host = intruder, Step = nameof(TransferMemory),
                Code = AgentFailureCode.HypervisorError, Reason = "forged: in the intruder's own name",
            });
        }

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Assert.Equal(1, done.Attempt);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
        // The one in its own name reached the saga and was recorded, not acted on; those for the source never reached it.
        var ignored = Assert.Single(done.IgnoredEvents, e => e.Event == nameof(StepFailed));
        Assert.Equal(intruder, ignored.Host);
        Assert.Equal(realUri, (await lab.Coordinator.Get<List<HostView>>("/api/hosts")).Single(h => h.Name == lab.A.Name).MigrationUri);
        await Eventually.Get(async () => SecurityEvents(await lab.Coordinator.Http.GetStringAsync("/metrics")) >= 3 ? "counted" : null,
            TimeSpan.FromSeconds(30), "three security events counted at /metrics");
        Assert.Contains($"was sent by broker user {Names.AgentUser(intruder)}, not by {Names.AgentUser(lab.A.Name)}", await File.ReadAllTextAsync(lab.Coordinator.LogPath));
    }

    [Fact]
    public async Task Guest_memory_crosses_between_hosts_encrypted_and_an_agent_that_requires_tls_refuses_a_plain_peer()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var hosts = await lab.Coordinator.Get<List<HostView>>("/api/hosts");
        Assert.All(hosts.Where(h => h.Name == lab.A.Name || h.Name == lab.B.Name), h => Assert.StartsWith("qemu+tls://", h.MigrationUri));
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 8 };
        await _driver.StartTransfer(request);

        // While memory moves, the source's QEMU sends it with TLS credentials (libvirt sets them once the destination is
        // prepared, after the first progress report), checking the destination's certificate for its address.
        var tlsHostname = await Eventually.Get(async () =>
            await lab.A.Monitor(_vm, "query-migrate-parameters") is var p && p.GetProperty("tls-creds").GetString() is { Length: > 0 }
                ? p.GetProperty("tls-hostname").GetString() : null,
            TimeSpan.FromSeconds(30), "the source's QEMU migrating with TLS credentials");
        Assert.Equal(new Uri(lab.B.TlsMigrationUri).Host, tlsHostname);

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);

        // Asked to send it on over plain TCP (a peer's qemu+tcp:// URI), the agent refuses before libvirt is touched.
        var plain = new TransferMemory
        {
            MigrationId = Guid.NewGuid(), Ticket = Tickets.Valid(nameof(TransferMemory)), DomainName = _vm, Kind = Contracts.MigrationKind.Live,
            DestinationHost = lab.A.Name, DestinationMigrationUri = lab.A.MigrationUri, StorageVerified = true, Tuning = new MigrationTuning(),
        };
        await lab.Bus.SendToAgent(lab.B.Name, plain);
        var refused = await lab.Bus.Events.WaitFor<StepFailed>(f => f.MigrationId == plain.MigrationId, TimeSpan.FromSeconds(30));
        Assert.Equal(AgentFailureCode.NotPermitted, refused.Code);
        Assert.Contains("migrates only over TLS", refused.Reason);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }

    [Fact]
    public async Task The_coordinator_and_the_agents_talk_to_the_broker_over_tls_and_a_client_without_a_lab_certificate_is_refused()
    {
        using var management = Broker.Management();
        string[] users = [Broker.CoordinatorUser, Names.AgentUser(lab.A.Name), Names.AgentUser(lab.B.Name)];
        var connections = await Eventually.Get(async () =>
        {
            // The Drover processes' connections (the tests' own bus connects as the coordinator's user too, without TLS).
            var all = (await management.GetFromJsonAsync<JsonElement>("/api/connections")).EnumerateArray()
                .Where(c => users.Contains(c.GetProperty("user").GetString())
                    && c.GetProperty("client_properties").TryGetProperty("assembly", out var assembly) && assembly.GetString()!.StartsWith("Drover.", StringComparison.Ordinal))
                .ToList();
            return users.All(u => all.Any(c => c.GetProperty("user").GetString() == u)) ? all : null;
        }, TimeSpan.FromSeconds(30), "the fault lab's processes connected (management API)");
        Assert.All(connections, c => Assert.True(c.GetProperty("ssl").GetBoolean(), $"{c.GetProperty("user")} is connected without TLS"));

        var settings = Broker.TlsSettings(Names.AgentUser(lab.A.Name));
        using var authority = X509CertificateLoader.LoadCertificateFromFile(settings["RabbitMq__TlsCaCertificate"]);
        ConnectionFactory Factory(bool tls, bool withCertificate) => new()
        {
            HostName = "127.0.0.1", Port = Broker.TlsPort, UserName = Names.AgentUser(lab.A.Name), Password = settings["RabbitMq__Password"],
            AutomaticRecoveryEnabled = false, RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            Ssl = new SslOption
            {
                Enabled = tls, ServerName = "localhost", CertificateValidationCallback = (_, c, _, e) => BrokerTls.Trusted(c, e, authority),
                Certs = withCertificate ? [X509Certificate2.CreateFromPemFile(settings["RabbitMq__TlsClientCertificate"], settings["RabbitMq__TlsClientKey"])] : null,
            },
        };

        await using (var withCertificate = await Factory(tls: true, withCertificate: true).CreateConnectionAsync())
            Assert.True(withCertificate.IsOpen);
        await Assert.ThrowsAnyAsync<Exception>(() => Factory(tls: true, withCertificate: false).CreateConnectionAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => Factory(tls: false, withCertificate: false).CreateConnectionAsync());
    }

    [Fact]
    public async Task An_unreadable_message_from_an_agent_is_moved_once_to_the_error_queue_and_not_redelivered_for_ever()
    {
        // Without the coordinator's impersonator tag the broker refuses the move (the message keeps its sender's user_id)
        // and the message comes back for ever (measured: ten faults in ten seconds).
        string marker = Guid.NewGuid().ToString();
        await using (var asA = await Connect(Names.AgentUser(lab.A.Name)))
        await using (var channel = await asA.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
            await channel.BasicPublishAsync("Drover.Contracts.Agent:StepFailed", "", mandatory: false,
                new BasicProperties { UserId = Names.AgentUser(lab.A.Name), MessageId = marker, ContentType = "application/vnd.masstransit+json" },
                Encoding.UTF8.GetBytes("{not json"));

        using var management = Broker.Management();
        await Eventually.Get(async () =>
        {
            var response = await management.PostAsJsonAsync("/api/queues/%2F/migration-saga_error/get", new { count = 1000, ackmode = "ack_requeue_true", encoding = "auto" });
            if (!response.IsSuccessStatusCode) return null;   // the error queue does not exist yet
            var messages = await response.Content.ReadFromJsonAsync<JsonElement>();
            return messages.EnumerateArray().Any(m => m.GetProperty("properties").TryGetProperty("message_id", out var id) && id.GetString() == marker) ? "moved" : null;
        }, TimeSpan.FromSeconds(30), "the unreadable message in migration-saga_error");
    }

    private static HostHeartbeat Heartbeat(string host, string uri) => new()
    {
        Host = host, MigrationUri = uri, LibvirtVersion = 9_000_000, HypervisorVersion = 7_002_000, CpuModel = "forged", Cpus = 64,
        MemoryTotalKiB = 1L << 30, MemoryFreeKiB = 1L << 30, SharedStorage = [], Domains = [], At = DateTimeOffset.UtcNow,
    };

    /// <summary>drover_security_events_total summed over message types.</summary>
    private static double SecurityEvents(string metrics) => metrics.Split('\n')
        .Where(l => l.StartsWith("drover_security_events_total{", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    private static Task<IConnection> Connect(string user) => new ConnectionFactory
    {
        HostName = "127.0.0.1", Port = Broker.Port, UserName = user, Password = Broker.PasswordOf(user),
    }.CreateConnectionAsync();

    private static async Task Publish(IChannel channel, string exchange, string userId)
    {
        await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties { UserId = userId }, Encoding.UTF8.GetBytes("{}"));
    }

    /// <summary>What the broker answered <paramref name="action"/> on a fresh channel with publisher confirms: 0 when it
    /// went through, else the reply code with which the broker closed the channel.</summary>
    private static async Task<ushort> Refusal(IConnection connection, Func<IChannel, Task> action)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await action(channel);
            await channel.ExchangeDeclarePassiveAsync("amq.fanout");   // a round trip: a refused publish has closed the channel by now
            return 0;
        }
        catch (Exception) when (channel.CloseReason is { } reason)
        {
            return reason.ReplyCode;
        }
    }
}

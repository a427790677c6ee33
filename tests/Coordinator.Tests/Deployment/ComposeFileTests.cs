using Drover.Coordinator.Migrations;
using Drover.Coordinator.Persistence;
using Drover.ServiceDefaults;
using Drover.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Drover.Coordinator.Tests.Deployment;

/// <summary>No Docker engine runs here, so docker-compose.yml is checked as data: its services, health checks and settings.</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Services = Load();

    [Fact]
    public void It_has_the_broker_the_database_the_coordinator_and_an_agent_each_with_a_health_check()
    {
        Assert.Equal(["agent", "coordinator", "postgres", "rabbitmq"], Services.Children.Keys.Select(k => k.ToString()).Order());
        foreach (var (name, service) in Services.Children)
            Assert.True(((YamlMappingNode)service).Children.ContainsKey("healthcheck"), $"{name} has no health check");
        Assert.Contains("management", Scalar("rabbitmq", "image"));
    }

    [Fact]
    public void The_coordinator_is_configured_with_names_it_reads()
    {
        var env = Environment("coordinator");
        Assert.Equal("Postgres", env["Database__Provider"]);
        Assert.Equal(nameof(DatabaseProvider.Postgres), env["Database__Provider"]);
        foreach (var key in env.Keys.Where(k => k.Contains("__")))
            Assert.Contains(key.Split("__")[0], new[] { RabbitMqOptions.Section, DatabaseOptions.Section, Api.ApiOptions.Section, SagaOptions.Section });
        Assert.Contains("/health/ready", string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)Node("coordinator", "healthcheck"))["test"]).Children));
    }

    [Fact]
    public void The_agent_reads_the_host_libvirt_socket_and_its_settings()
    {
        var env = Environment("agent");
        Assert.Contains("Agent__HostName", env.Keys);
        Assert.Contains("Agent__MigrationUri", env.Keys);
        Assert.Contains(((YamlSequenceNode)Node("agent", "volumes")).Children, v => v.ToString().StartsWith("/var/run/libvirt:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_agent_is_restarted_on_its_own_liveness_never_on_libvirtd()
    {
        string check = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)Node("agent", "healthcheck"))["test"]).Children);
        Assert.Contains("/health/live", check);
        Assert.DoesNotContain("virsh", check);
        Assert.Contains(new Uri(Environment("agent")["Urls"]).Port.ToString(), check);
        Assert.Equal("unless-stopped", Scalar("agent", "restart"));
    }

    [Fact]
    public void Credentials_come_from_the_env_file_and_never_stand_in_the_compose_file()
    {
        foreach (var service in new[] { "coordinator", "agent", "rabbitmq", "postgres" })
            foreach (var (key, value) in Environment(service).Where(kv => kv.Key.Contains("PASS") || kv.Key.Contains("Password") || kv.Key.Contains("Key")))
                Assert.True(value.Contains("${"), $"{service}: {key} is not taken from .env");
        var example = File.ReadAllText(Path.Combine(Repository.Root, ".env.example"));
        Assert.Contains("RABBITMQ_PASSWORD=", example);
        Assert.Contains("DROVER_API_KEY=", example);
        // Each process as itself on the broker (scripts/broker.sh user), never as the broker's administrator.
        Assert.Equal("drover-coordinator", Environment("coordinator")["RabbitMq__Username"]);
        Assert.Equal("agent-${DROVER_HOST_NAME}", Environment("agent")["RabbitMq__Username"]);
        Assert.Contains("COORDINATOR_BROKER_PASSWORD=", example);
        Assert.Contains("AGENT_BROKER_PASSWORD=", example);
    }

    [Fact]
    public void The_broker_and_the_database_listen_on_localhost_only()
    {
        foreach (var service in new[] { "rabbitmq", "postgres" })
            Assert.All(((YamlSequenceNode)Node(service, "ports")).Children, p => Assert.StartsWith("127.0.0.1:", p.ToString()));
    }

    [Fact]
    public void The_coordinator_image_runs_unprivileged_and_the_agent_as_root_said_so()
    {
        var coordinator = File.ReadAllLines(Path.Combine(Repository.Root, "src", "Coordinator", "Dockerfile"));
        Assert.Equal("USER $APP_UID", coordinator.Last(l => l.StartsWith("USER", StringComparison.Ordinal)));
        var agent = File.ReadAllText(Path.Combine(Repository.Root, "src", "HostAgent", "Dockerfile"));
        Assert.Contains("USER root", agent);
        Assert.Contains("libvirt socket", agent);
        Assert.Equal("root", Scalar("agent", "user"));
    }

    [Fact]
    public void The_agent_is_a_profile_here_and_an_example_file_for_every_other_host()
    {
        Assert.Equal(["agent"], ((YamlSequenceNode)Node("agent", "profiles")).Children.Select(c => c.ToString()));
        var example = (YamlMappingNode)Load("docker-compose.agent.example.yml")["agent"];
        var env = ((YamlMappingNode)example["environment"]).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        Assert.Equal(Environment("agent").Keys.Where(k => k != "RabbitMq__Host").Order(), env.Keys.Where(k => k != "RabbitMq__Host").Order());
        Assert.Contains("${", env["RabbitMq__Password"]);
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_tests_results_and_secrets()
    {
        var ignored = File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var entry in new[] { ".git", "**/bin", "**/obj", "tests/TestResults", ".env" }) Assert.Contains(entry, ignored);
    }

    private static YamlMappingNode Load(string file = "docker-compose.yml")
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Repository.Root, file))));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
    }

    private static YamlNode Node(string service, string key) => ((YamlMappingNode)Services[service])[key];

    private static string Scalar(string service, string key) => ((YamlMappingNode)Services[service])[key].ToString();

    private static Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Node(service, "environment")).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
}

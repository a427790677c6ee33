using Drover.HostAgent.Hosting;
using Drover.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

LoggingExtensions.UseBootstrapLogger();
try
{
    // A web host only for /health/live and /health/ready (Urls, loopback by default): the agent's work comes from the bus.
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddDroverLogging("agent", builder.Configuration["Agent:HostName"]).AddDroverTracing("agent");
    builder.Services.AddHostAgent();
    var app = builder.Build();
    var agent = app.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    if (agent.Peers.Count == 0 && agent.Hypervisor == HypervisorKind.Libvirt)
        app.Logger.LogWarning("Agent:Peers is empty: this host migrates to any libvirt URI a command names. Name its peers in production");
    if (!agent.Tls && agent.Hypervisor == HypervisorKind.Libvirt)
        app.Logger.LogWarning("Agent:Tls is off: guest memory leaves this host unencrypted. Turn it on in production (qemu+tls:// peers, libvirt's TLS certificates)");
    app.MapDroverHealth();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not OperationCanceledException and not HostAbortedException)
{
    Log.Fatal(e, "Host agent stopped");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

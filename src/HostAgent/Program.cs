using Drover.HostAgent.Hosting;
using Drover.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Serilog;

LoggingExtensions.UseBootstrapLogger();
try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddDroverLogging("agent", builder.Configuration["Agent:HostName"]).AddDroverTracing("agent");
    builder.Services.AddHostAgent();
    await builder.Build().RunAsync();
    return 0;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    Log.Fatal(e, "Host agent stopped");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

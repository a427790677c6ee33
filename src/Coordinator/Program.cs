using Drover.Coordinator.Hosting;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using Drover.Coordinator.Observation;
using Drover.Coordinator.Persistence;
using Drover.Coordinator.Rebalancing;
using Drover.Coordinator.Security;
using Drover.ServiceDefaults;
using MassTransit;
using Serilog;

InlineSocketCompletions.Enable();
LoggingExtensions.UseBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddDroverLogging("coordinator").AddDroverTracing("coordinator");
    builder.Services.AddSagaPersistence().AddMigrationSaga().AddHostInventory().AddRebalancing().AddCoordinatorApi()
        .AddDroverMetrics(builder.Configuration).AddCoordinatorSecurity();
    builder.Services.AddDroverBus(
        x =>
        {
            x.AddMigrationSaga();
            x.AddHostInventory();
            x.AddRebalancing();
        },
        (context, cfg) =>
        {
            cfg.UseAgentOrigin(context);
            cfg.ConfigureEndpoints(context);
        },
        _ => SecurityExtensions.ReplyQueue());

    var app = builder.Build();
    await app.Services.MigrateDatabaseAsync();
    app.MapCoordinatorApi();
    app.MapMigrationEndpoints();
    app.MapHostEndpoints();
    app.MapRebalanceEndpoints();
    app.MapDashboard();
    app.MapDroverMetrics();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not OperationCanceledException and not HostAbortedException)
{
    Log.Fatal(e, "Coordinator stopped");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

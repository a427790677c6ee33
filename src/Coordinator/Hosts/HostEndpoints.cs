using Drover.Coordinator.Api;

namespace Drover.Coordinator.Hosts;

public static class HostEndpoints
{
    public static IEndpointRouteBuilder MapHostEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/hosts", async (HostInventory inventory, CancellationToken ct) => Results.Ok(await inventory.All(ct)))
            .WithTags("Hosts").RequireRead();
        return app;
    }
}

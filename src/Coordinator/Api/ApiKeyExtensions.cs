using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Api;

public static class ApiKeyExtensions
{
    public static TBuilder RequireApiKeyForWrites<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.RequireApiKey(write: true);

    public static TBuilder RequireApiKeyForReads<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.RequireApiKey(write: false);

    private static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, bool write) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = new ApiKeyFilter(factory.ApplicationServices.GetRequiredService<IOptions<ApiOptions>>(), write);
            return context => filter.InvokeAsync(context, next);
        });
}

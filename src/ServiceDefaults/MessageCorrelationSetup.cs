using System.Linq.Expressions;
using System.Reflection;
using Drover.Contracts;
using MassTransit;

namespace Drover.ServiceDefaults;

/// <summary>Makes <c>MigrationId</c> (or <c>RebalanceId</c>) the correlation id of every contract that carries one, once per process.</summary>
public static class MessageCorrelationSetup
{
    private static int _applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        var register = typeof(MessageCorrelationSetup).GetMethod(nameof(Register), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var type in typeof(MigrationKind).Assembly.GetExportedTypes())
        {
            if (type.IsClass && CorrelationProperty(type) is { } property)
                register.MakeGenericMethod(type).Invoke(null, [property]);
        }
    }

    private static string? CorrelationProperty(Type type) =>
        new[] { "MigrationId", "RebalanceId" }.FirstOrDefault(name => type.GetProperty(name)?.PropertyType == typeof(Guid));

    private static void Register<T>(string property) where T : class
    {
        var message = Expression.Parameter(typeof(T), "m");
        var selector = Expression.Lambda<Func<T, Guid>>(Expression.Property(message, property), message).Compile();
        MessageCorrelation.UseCorrelationId(selector);
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Drover.Coordinator.Persistence;

/// <summary>
/// A value EF Core has no JSON mapping of its own for (a map; a list of contract records replaced whole at every heartbeat),
/// kept as one JSON text column: declared once with the model, with a comparer that lets EF see a change.
/// </summary>
internal static class JsonTextColumns
{
    public static PropertyBuilder<T> IsJsonText<T>(this PropertyBuilder<T> property, string column) where T : class, new() =>
        property.HasColumnName(column).HasConversion(
            new ValueConverter<T, string>(v => Write(v), s => Read<T>(s)),
            new ValueComparer<T>((a, b) => Write(a!) == Write(b!), v => Write(v).GetHashCode(), v => Read<T>(Write(v))));

    private static string Write<T>(T value) => JsonSerializer.Serialize(value);

    private static T Read<T>(string json) where T : class, new() => JsonSerializer.Deserialize<T>(json) ?? new T();
}

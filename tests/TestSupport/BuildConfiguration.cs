namespace Drover.TestSupport;

/// <summary>Debug or Release: the configuration the tests were built in, and so the one of the programs they start.</summary>
public static class BuildConfiguration
{
    public static string Name { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
}

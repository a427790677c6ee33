namespace Drover.Cli;

/// <summary>What the operator named does not exist (exit 1).</summary>
public sealed class NotFoundException(string message) : Exception(message);

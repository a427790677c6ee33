namespace Drover.Cli;

public sealed class CoordinatorUnreachableException(string message) : Exception(message);

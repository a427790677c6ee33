namespace Drover.Coordinator.Migrations;

/// <summary>What is wrong with a request: the field and a sentence for a person.</summary>
public sealed record RequestProblem(string Field, string Reason);

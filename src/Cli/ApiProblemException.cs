using System.Net;

namespace Drover.Cli;

/// <summary>The coordinator refused the request (a ProblemDetails answer).</summary>
public sealed class ApiProblemException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

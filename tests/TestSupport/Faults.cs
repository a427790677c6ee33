namespace Drover.TestSupport;

/// <summary>The ordinary faults of a fleet, made for real with the project's own scripts: a broker, a database or a libvirtd restarted.</summary>
public static class Faults
{
    /// <summary>Stops the test broker and starts it again (its durable queues and persistent messages survive, as in production).</summary>
    public static async Task RestartBroker()
    {
        await Shell.Run(Repository.Script("broker.sh"), "stop");
        await Shell.Run(Repository.Script("broker.sh"), "start");
    }

    public static async Task RestartPostgres()
    {
        await Shell.Run(Repository.Script("pg.sh"), "stop");
        await Shell.Run(Repository.Script("pg.sh"), "start");
    }

    /// <summary>kill -9 of the host's libvirtd (its guests keep running, as on a real host).</summary>
    public static Task KillLibvirtd(LabHost host) => Shell.Run(Repository.Script("lab.sh"), "libvirtd", "kill", host.Name);

    /// <summary>SIGSTOP of the host's libvirtd: it keeps its socket and answers nothing, as a libvirtd stuck on a lock would.</summary>
    public static Task HangLibvirtd(LabHost host) => Shell.Run(Repository.Script("lab.sh"), "libvirtd", "hang", host.Name);

    /// <summary>SIGCONT of a hung libvirtd.</summary>
    public static Task ResumeLibvirtd(LabHost host) => Shell.Run(Repository.Script("lab.sh"), "libvirtd", "resume", host.Name);

    /// <summary>Starts the host's libvirtd again and waits until it answers.</summary>
    public static Task StartLibvirtd(LabHost host) => Shell.Run(Repository.Script("lab.sh"), "libvirtd", "start", host.Name);
}

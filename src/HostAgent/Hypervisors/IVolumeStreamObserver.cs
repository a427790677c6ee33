namespace Drover.HostAgent.Hypervisors;

/// <summary>Sees a volume's content pass, in order: data, and holes (runs of zeros the stream does not carry).</summary>
public interface IVolumeStreamObserver
{
    void Data(ReadOnlySpan<byte> data);

    void Hole(long length);
}

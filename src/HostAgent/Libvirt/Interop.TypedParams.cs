using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    // struct _virTypedParameter { char field[80]; int type; union { ... } value; } — 96 bytes, value at 88.
    [StructLayout(LayoutKind.Explicit, Size = 96)]
    private struct VirTypedParameter
    {
        [FieldOffset(0)] public fixed byte Field[80];
        [FieldOffset(80)] public int Type;
        [FieldOffset(88)] public int I;
        [FieldOffset(88)] public uint Ui;
        [FieldOffset(88)] public long L;
        [FieldOffset(88)] public ulong Ul;
        [FieldOffset(88)] public double D;
        [FieldOffset(88)] public IntPtr S;
    }

    // The Add functions reallocate the array, hence the references.
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int virTypedParamsAddString(ref IntPtr parameters, ref int count, ref int capacity, string name, string value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int virTypedParamsAddULLong(ref IntPtr parameters, ref int count, ref int capacity, string name, ulong value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int virTypedParamsAddInt(ref IntPtr parameters, ref int count, ref int capacity, string name, int value);

    [LibraryImport(Lib)]
    private static partial void virTypedParamsFree(IntPtr parameters, int count);

    /// <summary>A typed-parameter array built for one call and freed afterwards.</summary>
    internal sealed class TypedParams : IDisposable
    {
        private IntPtr _array;
        private int _count;
        private int _capacity;

        public IntPtr Array => _array;

        public int Count => _count;

        public TypedParams Add(string name, string value)
        {
            Check(virTypedParamsAddString(ref _array, ref _count, ref _capacity, name, value), "virTypedParamsAddString");
            return this;
        }

        public TypedParams Add(string name, ulong value)
        {
            Check(virTypedParamsAddULLong(ref _array, ref _count, ref _capacity, name, value), "virTypedParamsAddULLong");
            return this;
        }

        public TypedParams Add(string name, int value)
        {
            Check(virTypedParamsAddInt(ref _array, ref _count, ref _capacity, name, value), "virTypedParamsAddInt");
            return this;
        }

        public IReadOnlyDictionary<string, object> Read() => ReadTypedParams(_array, _count);

        public void Dispose()
        {
            if (_array != IntPtr.Zero) virTypedParamsFree(_array, _count);
            _array = IntPtr.Zero;
            _count = _capacity = 0;
        }
    }

    internal static IReadOnlyDictionary<string, object> ReadTypedParams(IntPtr array, int count)
    {
        var values = new Dictionary<string, object>(count);
        var p = (VirTypedParameter*)array;
        for (int i = 0; i < count; i++)
        {
            string name = Marshal.PtrToStringUTF8((IntPtr)p[i].Field)!;
            object? value = p[i].Type switch
            {
                1 => p[i].I,
                2 => p[i].Ui,
                3 => p[i].L,
                4 => p[i].Ul,
                5 => p[i].D,
                6 => p[i].I != 0,
                7 => BorrowedString(p[i].S),
                _ => null,
            };
            if (value is not null) values[name] = value;
        }
        return values;
    }

    internal static void FreeTypedParams(IntPtr array, int count) => virTypedParamsFree(array, count);
}

using System.Buffers.Binary;
using System.Text;
using AutoNet.Torch.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Torch.Tests.Safetensors;

/// <summary>
/// Malformed and lying files are refused with a <see cref="SafetensorsFormatException"/> naming the file and the
/// field, before any tensor exists and without allocating what the header claims. Runs alone so the live tensor
/// count is ours.
/// </summary>
[Collection(LiveTensorCollection.Name)]
public sealed class SafetensorsHostileFileTests : IDisposable
{
    private const long AllocationBudget = 1 << 20;

    private readonly string folder = Directory.CreateTempSubdirectory("autonet-hostile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_truncated()
    {
        var error = Reject(new byte[] { 1, 2, 3 });
        Assert.Null(error.Field);
        Assert.Contains("too short", error.Message);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_refused()
    {
        var error = Reject(File(1000, "{}", data: 0, fileTail: 40));
        Assert.Equal("header length", error.Field);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_huge_claimed_header_length_is_refused_without_reading_it()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 62);
        var error = Reject(bytes);
        Assert.Equal("header length", error.Field);
        Assert.Contains("limit", error.Message);

        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Equal("header length", Reject(bytes).Field);
    }

    [Fact]
    public void Invalid_json_and_invalid_utf8_are_refused()
    {
        Assert.Contains("not valid JSON", Reject(File("{\"a\": {\"dtype\": ", 0)).Message);
        Assert.Contains("not an object", Reject(File("[1, 2]", 0)).Message);
        var utf8 = Encoding.UTF8.GetBytes("{\"a\xff\": 1}").ToList();
        utf8[3] = 0xFF;
        var bytes = new byte[8 + utf8.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)utf8.Count);
        utf8.CopyTo(bytes, 8);
        Assert.Contains("UTF-8", Reject(bytes).Message);
    }

    [Fact]
    public void An_unknown_dtype_is_refused_naming_the_tensor()
    {
        var error = Reject(File("""{"w": {"dtype": "F8", "shape": [2], "data_offsets": [0, 2]}}""", 2));
        Assert.Equal("w.dtype", error.Field);
        Assert.Contains("F8", error.Message);
    }

    [Fact]
    public void A_shape_that_disagrees_with_the_offsets_is_refused()
    {
        var error = Reject(File("""{"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 20]}}""", 20));
        Assert.Equal("w", error.Field);
        Assert.Contains("needs 24 bytes", error.Message);
    }

    [Fact]
    public void Negative_and_fractional_dimensions_are_refused()
    {
        Assert.Equal("w.shape", Reject(File("""{"w": {"dtype": "U8", "shape": [-4], "data_offsets": [0, 4]}}""", 4)).Field);
        Assert.Equal("w.shape", Reject(File("""{"w": {"dtype": "U8", "shape": [1.5], "data_offsets": [0, 4]}}""", 4)).Field);
        Assert.Equal("w.data_offsets", Reject(File("""{"w": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4, 8]}}""", 4)).Field);
    }

    [Fact]
    public void Overlapping_offsets_are_refused()
    {
        var error = Reject(File("""
            {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
             "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}
            """, 24));
        Assert.Equal("b.data_offsets", error.Field);
        Assert.Contains("overlaps a", error.Message);
    }

    [Fact]
    public void Offsets_past_the_end_of_the_data_are_refused()
    {
        var error = Reject(File("""{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", 8));
        Assert.Equal("a.data_offsets", error.Field);
        Assert.Contains("past the 8-byte data buffer", error.Message);
    }

    [Fact]
    public void Gaps_and_undescribed_trailing_bytes_are_refused()
    {
        var gap = Reject(File("""
            {"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]},
             "b": {"dtype": "F64", "shape": [1], "data_offsets": [16, 24]}}
            """, 24));
        Assert.Equal("b.data_offsets", gap.Field);
        Assert.Contains("gap", gap.Message);

        var trailing = Reject(File("""{"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}""", 16));
        Assert.Equal("data buffer", trailing.Field);
    }

    [Fact]
    public void Duplicate_names_and_unknown_fields_are_refused()
    {
        var duplicate = Reject(File("""
            {"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},
             "a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}
            """, 2));
        Assert.Equal("a", duplicate.Field);
        Assert.Contains("twice", duplicate.Message);
        Assert.Equal("a.offsets", Reject(File("""{"a": {"dtype": "U8", "shape": [1], "offsets": [0, 1]}}""", 1)).Field);
        Assert.Equal("__metadata__.n", Reject(File("""{"__metadata__": {"n": 3}}""", 0)).Field);
    }

    [Fact]
    public void A_huge_claimed_shape_is_refused_without_allocating_it()
    {
        // 2^40 float32 elements whose offsets claim the matching 4 TiB: past the end of a tiny file.
        var claimed = Reject(File("""{"w": {"dtype": "F32", "shape": [1048576, 1048576], "data_offsets": [0, 4398046511104]}}""", 16));
        Assert.Equal("w.data_offsets", claimed.Field);

        // 2^40 elements with small offsets: the byte count disagrees.
        var lying = Reject(File("""{"w": {"dtype": "F32", "shape": [1099511627776], "data_offsets": [0, 16]}}""", 16));
        Assert.Equal("w", lying.Field);

        // A byte count that overflows 64 bits must not wrap around to the offsets.
        var overflow = Reject(File("""{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 0]}}""", 0));
        Assert.Equal("w.shape", overflow.Field);
        Assert.Contains("overflows", overflow.Message);
    }

    [Fact]
    public void A_valid_file_cut_short_is_refused_and_the_intact_one_reads()
    {
        var path = Path.Combine(folder, "valid.safetensors");
        using (var scope = torch.NewDisposeScope())
        {
            SafetensorsFile.Write(path, new Dictionary<string, Tensor>
            {
                ["a"] = torch.ones(64),
                ["b"] = torch.zeros(8, ScalarType.Int64),
            });
        }

        using (var content = SafetensorsFile.Read(path))
        {
            Assert.Equal(2, content.Tensors.Count);
        }

        var bytes = System.IO.File.ReadAllBytes(path);
        var error = Reject(bytes[..^5]);
        Assert.Contains("truncated", error.Message);
    }

    private SafetensorsFormatException Reject(byte[] bytes)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.safetensors");
        System.IO.File.WriteAllBytes(path, bytes);
        var liveBefore = TorchEngine.CountLiveTensors();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Read(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(liveBefore, TorchEngine.CountLiveTensors());
        Assert.True(allocated < AllocationBudget + bytes.Length, $"reading a {bytes.Length}-byte hostile file allocated {allocated} bytes");
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path, error.Message);
        Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.ReadHeader(path));
        return error;
    }

    /// <summary>A file whose prefix says <paramref name="json"/>'s length, followed by <paramref name="data"/> zero bytes.</summary>
    private static byte[] File(string json, int data) => File(null, json, data, 0);

    private static byte[] File(long? claimedLength, string json, int data, int fileTail)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data + fileTail];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(claimedLength ?? header.Length));
        header.CopyTo(bytes, 8);
        return bytes;
    }
}

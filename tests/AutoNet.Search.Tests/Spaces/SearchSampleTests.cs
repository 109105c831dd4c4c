using System.Security.Cryptography;
using System.Text;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class SearchSampleTests
{
    [Fact]
    public void The_canonical_text_sorts_labels_and_does_not_depend_on_the_order_given()
    {
        var a = new SearchSample([new("hp/lr", 0.01), new("arch/width", 32L), new("hp/optimizer", "sgd"), new("arch/residual", true)]);
        var b = new SearchSample([new("arch/residual", true), new("hp/optimizer", "sgd"), new("arch/width", 32L), new("hp/lr", 0.01)]);

        Assert.Equal("{\"arch/residual\":true,\"arch/width\":32,\"hp/lr\":0.01,\"hp/optimizer\":\"sgd\"}", a.ToCanonicalJson());
        Assert.Equal(a.ToCanonicalJson(), b.ToCanonicalJson());
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(a, b);
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_canonical_utf8_text()
    {
        var sample = new SearchSample([new("normal/block0/op0", "sep_conv_3x3"), new("hp/lr", 0.001)]);

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("{\"hp/lr\":0.001,\"normal/block0/op0\":\"sep_conv_3x3\"}")));

        Assert.Equal(expected, sample.Hash);
        Assert.Equal(64, sample.Hash.Length);
    }

    [Fact]
    public void Values_that_differ_only_in_kind_hash_differently()
    {
        var integer = new SearchSample([new("hp/x", 1L)]);
        var number = new SearchSample([new("hp/x", 1.0)]);
        var text = new SearchSample([new("hp/x", "1")]);

        Assert.Equal(3, new[] { integer.Hash, number.Hash, text.Hash }.Distinct().Count());
    }

    [Fact]
    public void A_sample_written_as_json_reads_back_equal_with_the_same_kinds_and_order()
    {
        var space = TestSpaces.Shipped("darts");
        var sample = space.Sample(new SearchRandom(17));

        var indented = SearchSample.FromJson(sample.ToJson());
        var canonical = SearchSample.FromJson(sample.ToCanonicalJson());

        Assert.Equal(sample.Entries, indented.Entries);
        Assert.Equal(sample, canonical);
        Assert.Equal(sample.Hash, canonical.Hash);
        space.Validate(canonical);
    }

    [Fact]
    public void With_replaces_a_value_in_place()
    {
        var sample = new SearchSample([new("a", 1L), new("b", 2L)]);

        var changed = sample.With("a", 5L);

        Assert.Equal(["a", "b"], changed.Labels);
        Assert.Equal(5, changed.GetInt32("a"));
        Assert.Equal(1, sample.GetInt32("a"));
    }

    [Fact]
    public void A_duplicate_label_and_an_unknown_label_are_errors_naming_it()
    {
        Assert.Contains("'a' appears twice", Assert.Throws<ArgumentException>(() => new SearchSample([new("a", 1L), new("a", 2L)])).Message, StringComparison.Ordinal);
        Assert.Contains("no value for 'c'", Assert.Throws<KeyNotFoundException>(() => new SearchSample([new("a", 1L)])["c"]).Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using AutoNet.Search.Spaces;

namespace AutoNet.Search.Tests.Spaces;

public sealed class ParameterValueTests
{
    [Fact]
    public void Canonical_json_keeps_the_kind_of_every_value()
    {
        Assert.Equal("\"sgd\"", ParameterValue.Of("sgd").ToJson());
        Assert.Equal("64", ParameterValue.Of(64).ToJson());
        Assert.Equal("2.0", ParameterValue.Of(2.0).ToJson());
        Assert.Equal("0.1", ParameterValue.Of(0.1).ToJson());
        Assert.Equal("1E-05", ParameterValue.Of(1e-5).ToJson());
        Assert.Equal("true", ParameterValue.Of(true).ToJson());
    }

    [Fact]
    public void An_int_never_equals_a_float_of_the_same_size()
    {
        Assert.NotEqual(ParameterValue.Of(2), ParameterValue.Of(2.0));
        Assert.Equal(ParameterValue.Of(2), ParameterValue.Of(2L));
        Assert.Equal(2.0, ParameterValue.Of(2).AsDouble());
    }

    [Theory]
    [InlineData("3", ValueKind.Int)]
    [InlineData("3.0", ValueKind.Float)]
    [InlineData("3e0", ValueKind.Float)]
    [InlineData("\"3\"", ValueKind.String)]
    [InlineData("false", ValueKind.Bool)]
    public void Json_numbers_are_ints_only_when_written_without_point_or_exponent(string json, ValueKind kind)
    {
        using var document = JsonDocument.Parse(json);

        var value = ParameterValue.FromJson(document.RootElement);

        Assert.Equal(kind, value!.Value.Kind);
        Assert.Equal(value.Value, ParameterValue.FromJson(JsonDocument.Parse(value.Value.ToJson()).RootElement));
    }

    [Fact]
    public void Reading_a_value_as_the_wrong_kind_says_what_it_is()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ParameterValue.Of("adamw").AsDouble());

        Assert.Contains("\"adamw\" is a string", error.Message);
    }
}

using AutoNet.Models;
using AutoNet.Models.MacroCnn;
using AutoNet.Training.Proxies;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training.Tests.Proxies;

public sealed class ZeroCostProxyTests
{
    private static readonly MacroCnnConfig Small = new(1, 10, [new(6, 1), new(12, 2, 3, Residual: true)]);

    [Fact]
    public void Synflow_of_two_linear_layers_is_the_closed_form_of_its_positive_weights()
    {
        // R = Σ_k |v_k| (Σ_j |W_kj| + |b_k|) + |c| for an all-ones input; each parameter's θ·∂R/∂θ adds up to
        // 2 Σ_k |v_k| (Σ_j |W_kj| + |b_k|) + |c|.
        float[] w = [0.5f, -1.0f, 2.0f, -0.25f];
        float[] b = [0.1f, -0.3f];
        float[] v = [-1.5f, 0.75f];
        const float c = -0.2f;
        using var model = nn.Sequential(("0", nn.Linear(2, 2)), ("1", nn.Linear(2, 1)));
        using (torch.no_grad())
        {
            var parameters = model.parameters().ToArray();
            parameters[0].copy_(torch.tensor(w).view(2, 2));
            parameters[1].copy_(torch.tensor(b));
            parameters[2].copy_(torch.tensor(v).view(1, 2));
            parameters[3].copy_(torch.tensor(new[] { c }));
        }

        var expected = (2 * ((Math.Abs(v[0]) * (Math.Abs(w[0]) + Math.Abs(w[1]) + Math.Abs(b[0])))
            + (Math.Abs(v[1]) * (Math.Abs(w[2]) + Math.Abs(w[3]) + Math.Abs(b[1]))))) + Math.Abs(c);

        var score = SynflowScore.Compute(model, [2]);

        Assert.Equal(Math.Log(expected), score, 6);
    }

    [Fact]
    public void Naswot_is_finite_for_distinct_images_and_absent_when_two_images_are_the_same()
    {
        using var distinct = torch.randn(8, 1, 16, 16);
        using var repeated = torch.cat([distinct[..4], distinct[..4]]);

        var score = ZeroCostProxies.Score(ZeroCostProxy.Naswot, () => new MacroCnnNetwork(Small), distinct, 3, null);
        var singular = ZeroCostProxies.Score(ZeroCostProxy.Naswot, () => new MacroCnnNetwork(Small), repeated, 3, null);

        Assert.NotNull(score);
        Assert.True(double.IsFinite(score.Value));
        // Equal codes make two rows of the kernel equal: its determinant is zero, and the network gets no score.
        Assert.Null(singular);
    }

    [Fact]
    public void Naswot_is_the_log_determinant_of_the_code_agreements_counted_here()
    {
        using var images = torch.randn(5, 1, 12, 12);
        var codes = new List<bool[][]>();
        using (var network = new MacroCnnNetwork(Small))
        {
            ProxyInitialization.Apply(network, 7);
            network.train();
            using var noGrad = torch.no_grad();
            using (Models.Architecture.ActivationTap.Listen((_, output) =>
            {
                using var flat = output.flatten(1).gt(0);
                codes.Add([.. Enumerable.Range(0, 5).Select(i => flat[i].data<bool>().ToArray())]);
            }))
            {
                network.forward(images).Dispose();
            }
        }

        var kernel = new double[5, 5];
        foreach (var layer in codes)
        {
            for (var i = 0; i < 5; i++)
            {
                for (var j = 0; j < 5; j++)
                {
                    kernel[i, j] += layer[i].Zip(layer[j]).Count(p => p.First == p.Second);
                }
            }
        }

        var score = ZeroCostProxies.Score(ZeroCostProxy.Naswot, () => new MacroCnnNetwork(Small), images, 7, null);

        Assert.Equal(LogAbsDeterminant(kernel), score!.Value, 6);
    }

    [Fact]
    public void A_score_depends_on_its_seed_and_not_on_the_global_generator()
    {
        using var images = torch.randn(6, 1, 16, 16);
        torch.manual_seed(1);
        var first = ZeroCostProxies.Score(ZeroCostProxy.Synflow, () => new MacroCnnNetwork(Small), images, 11, null);
        torch.manual_seed(2);
        var again = ZeroCostProxies.Score(ZeroCostProxy.Synflow, () => new MacroCnnNetwork(Small), images, 11, null);
        var otherSeed = ZeroCostProxies.Score(ZeroCostProxy.Synflow, () => new MacroCnnNetwork(Small), images, 12, null);
        torch.manual_seed(3);
        var naswot = ZeroCostProxies.Score(ZeroCostProxy.Naswot, () => new MacroCnnNetwork(Small), images, 11, null);
        torch.manual_seed(4);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.Equal(naswot, ZeroCostProxies.Score(ZeroCostProxy.Naswot, () => new MacroCnnNetwork(Small), images, 11, null));
    }

    [Fact]
    public void The_size_baselines_are_the_log_of_the_counts_and_build_nothing()
    {
        using var images = torch.zeros(2, 1, 8, 8);
        var complexity = new ModelComplexity(1000, 50_000);
        nn.Module<Tensor, Tensor> Fail() => throw new InvalidOperationException("built");

        Assert.Equal(Math.Log(1000), ZeroCostProxies.Score(ZeroCostProxy.Parameters, Fail, images, 1, complexity));
        Assert.Equal(Math.Log(50_000), ZeroCostProxies.Score(ZeroCostProxy.Flops, Fail, images, 1, complexity));
        Assert.Null(ZeroCostProxies.Score(ZeroCostProxy.Parameters, Fail, images, 1, null));
    }

    [Fact]
    public void Names_round_trip_and_an_unknown_name_lists_the_known_ones()
    {
        foreach (var proxy in Enum.GetValues<ZeroCostProxy>())
        {
            Assert.Equal(proxy, ZeroCostProxies.Parse(ZeroCostProxies.Name(proxy)));
        }

        var error = Assert.Throws<ArgumentException>(() => ZeroCostProxies.Parse("jacov"));
        Assert.Contains("naswot, synflow, params, flops", error.Message);
    }

    [Theory]
    [InlineData(ZeroCostProxy.Naswot)]
    [InlineData(ZeroCostProxy.Synflow)]
    public void Scoring_leaves_no_tensor_behind(ZeroCostProxy proxy)
    {
        // One network scored again and again: building and disposing modules moves libtorch's wrapper count by itself
        // (their native memory is freed), so the count is taken around the scoring only. The first call has made the
        // network double precision for SynFlow, which later calls leave as it is.
        using var images = torch.randn(4, 1, 16, 16);
        using var network = new MacroCnnNetwork(Small);
        double Score(long seed)
        {
            ProxyInitialization.Apply(network, seed);
            return proxy == ZeroCostProxy.Naswot ? NaswotScore.Compute(network, images) : SynflowScore.Compute(network, [1, 16, 16]);
        }

        Score(1);
        var before = AutoNet.Torch.TorchEngine.CountLiveTensors();

        for (var i = 0; i < 3; i++)
        {
            Assert.True(double.IsFinite(Score(i)));
        }

        Assert.Equal(before, AutoNet.Torch.TorchEngine.CountLiveTensors());
    }

    private static double LogAbsDeterminant(double[,] matrix)
    {
        // Gaussian elimination with partial pivoting.
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var log = 0.0;
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(a[r, col]));
            for (var k = 0; k < n; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }

            log += Math.Log(Math.Abs(a[col, col]));
            for (var r = col + 1; r < n; r++)
            {
                var f = a[r, col] / a[col, col];
                for (var k = col; k < n; k++)
                {
                    a[r, k] -= f * a[col, k];
                }
            }
        }

        return log;
    }
}

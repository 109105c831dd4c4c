namespace AutoNet.Search.Strategies.Tpe;

public enum TpeDomainKind
{
    Categorical,
    Int,
    Float,
}

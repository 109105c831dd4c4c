using AutoNet.Data.Decoding;

namespace AutoNet.Data.Cache;

/// <summary>A listed sample that could not be decoded, so it is left out of the cache: the file, why, and the detail.</summary>
public sealed record DecodeFailure(string Path, ImageDecodeFailure Failure, string Detail);

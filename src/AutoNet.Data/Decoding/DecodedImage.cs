namespace AutoNet.Data.Decoding;

/// <summary>
/// Decoded pixels, interleaved [H, W, C] uint8 as <see cref="ImageDecoder"/> returns them: C = 1 grey, 2 grey+alpha,
/// 3 RGB, 4 RGBA; <see cref="Pixels"/> holds exactly H × W × C bytes.
/// </summary>
public sealed record DecodedImage(byte[] Pixels, int Height, int Width, int Channels);

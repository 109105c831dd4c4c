namespace AutoNet.Data.Drawing;

/// <summary>
/// Where a contact sheet put things: its size, and tile (row r, column c) at
/// (<see cref="TileLeft"/> + c·<see cref="Pitch"/>, <see cref="TileTop"/> + r·<see cref="Pitch"/>), <see cref="Tile"/> pixels square.
/// </summary>
public sealed record ContactSheetLayout(int Width, int Height, int TileLeft, int TileTop, int Tile, int Pitch);

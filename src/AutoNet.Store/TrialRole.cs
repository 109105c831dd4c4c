namespace AutoNet.Store;

/// <summary>
/// Why a trial exists. Stored as its name. Search trials are what the strategy proposed and the early-stopping
/// scheduler judged; a final trial retrains the search's winner (longer, on every training image) after the search,
/// and is the model a search hands over.
/// </summary>
public enum TrialRole
{
    Search,
    Final,
}

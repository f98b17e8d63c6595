"""Fits and evaluates PatchCore from its official code (amazon-science/patchcore-inspection, Apache-2.0) on one data set.

Contains none of PatchCore's code: it imports an already-fetched checkout's src/ from $PATCHCORE_SRC and calls its
PatchCore class as its bin/run_patchcore.py does (approximate greedy coreset, FAISS 1-NN, layer2+layer3, patch size 3).
Modules the fit/predict path does not use (timm, tqdm) are stubbed so Debian's python3-torch 1.13 runs it offline;
the ResNet18 ImageNet weights come from ../shared/backbones (up to layer3), the same ones PBAS Inspect uses.
Prints one JSON line: fit seconds (weights loaded and data read to a ready index), test I-AUROC / P-AUROC / PRO (%).
Settings: BENCH_DATA (an MVTec-layout folder with train/good, test/<type>, ground_truth/<type>), PATCHCORE_CORESET
(share, default 0.01), PATCHCORE_SIZE (default 256), PATCHCORE_DIM (default 1024), PATCHCORE_THREADS (default 2).
"""
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from py_stubs import Bar, shared_resnet18, stub  # noqa: E402

T0 = time.perf_counter()


def auroc(scores, labels):
    """Area under the ROC curve with ties averaged (Mann-Whitney U)."""
    import numpy as np
    from scipy.stats import rankdata

    scores = np.asarray(scores, dtype=np.float64).ravel()
    labels = np.asarray(labels).ravel() > 0
    pos, neg = labels.sum(), (~labels).sum()
    ranks = rankdata(scores)
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def pro(maps, masks, steps=200, max_fpr=0.3):
    """Per-region overlap integrated up to FPR 0.3, normalised (the MVTec AD definition, on a threshold grid)."""
    import numpy as np
    from scipy import ndimage

    maps = np.asarray(maps, dtype=np.float32)
    masks = np.asarray(masks) > 0
    regions = []
    for i in range(len(masks)):
        lab, n = ndimage.label(masks[i])
        for r in range(1, n + 1):
            regions.append((i, lab == r))
    normal = maps[~masks]
    thresholds = np.quantile(normal, 1 - np.linspace(0, max_fpr, steps))
    fprs, pros = [], []
    for t in thresholds:
        fprs.append(float((normal >= t).mean()))
        pros.append(float(np.mean([(maps[i][r] >= t).mean() for i, r in regions])))
    return float(np.trapz(pros, fprs) / max_fpr)


def main():
    src = os.environ["PATCHCORE_SRC"]
    shared = os.environ.get("PBAS_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    data = os.path.abspath(os.environ["BENCH_DATA"])
    coreset = float(os.environ.get("PATCHCORE_CORESET", "0.01"))
    size = int(os.environ.get("PATCHCORE_SIZE", "256"))
    dim = int(os.environ.get("PATCHCORE_DIM", "1024"))
    threads = int(os.environ.get("PATCHCORE_THREADS", "2"))

    import numpy as np
    import torch
    import torchvision

    torch.set_num_threads(threads)
    stub("timm")
    stub("tqdm", tqdm=Bar)
    sys.path.insert(0, os.path.join(src, "src"))
    import patchcore.common  # noqa: E402  (the official modules, from the fetched checkout)
    import patchcore.patchcore  # noqa: E402
    import patchcore.sampler  # noqa: E402
    from patchcore.datasets import mvtec  # noqa: E402

    torch.manual_seed(0)
    np.random.seed(0)
    t0 = time.perf_counter()
    backbone = shared_resnet18(shared)

    root = tempfile.mkdtemp(prefix="patchcore-")
    name = os.path.basename(data)
    os.symlink(data, os.path.join(root, name))
    train = mvtec.MVTecDataset(root, classname=name, resize=size, imagesize=size, split=mvtec.DatasetSplit.TRAIN)
    test = mvtec.MVTecDataset(root, classname=name, resize=size, imagesize=size, split=mvtec.DatasetSplit.TEST)
    train_loader = torch.utils.data.DataLoader(train, batch_size=2, shuffle=False, num_workers=0)
    test_loader = torch.utils.data.DataLoader(test, batch_size=2, shuffle=False, num_workers=0)

    device = torch.device("cpu")
    sampler = patchcore.sampler.ApproximateGreedyCoresetSampler(coreset, device)
    model = patchcore.patchcore.PatchCore(device)
    model.load(backbone=backbone, layers_to_extract_from=["layer2", "layer3"], device=device, input_shape=(3, size, size),
               pretrain_embed_dimension=dim, target_embed_dimension=dim, patchsize=3, featuresampler=sampler,
               anomaly_score_num_nn=1, nn_method=patchcore.common.FaissNN(False, threads))
    model.fit(train_loader)
    fit = time.perf_counter() - t0

    t1 = time.perf_counter()
    scores, segmentations, labels, masks = model.predict(test_loader)
    predict = time.perf_counter() - t1
    segmentations = np.asarray(segmentations)
    masks = np.asarray(masks).reshape(segmentations.shape) > 0.5
    print(json.dumps({
        "code": "amazon-science/patchcore-inspection (official), imported from a fetched checkout",
        "runtime": f"PyTorch {torch.__version__} CPU, {threads} threads; FAISS CPU",
        "settings": {"backbone": "resnet18 layer2+layer3 (../shared weights)", "imageSize": size, "coreset": f"approximate greedy, {coreset:g}",
                     "embedDimension": dim, "patchSize": 3, "nearestNeighbours": 1},
        "trainImages": len(train), "testImages": len(test),
        "fitSeconds": round(fit, 1), "predictSeconds": round(predict, 1), "imagesPerSecond": round(len(test) / predict, 1),
        "image_auroc": round(100 * auroc(scores, labels), 2), "pixel_auroc": round(100 * auroc(segmentations, masks), 2),
        "pixel_pro": round(100 * pro(segmentations, masks), 2),
        "processSeconds": round(time.perf_counter() - T0, 1),
    }))


if __name__ == "__main__":
    main()

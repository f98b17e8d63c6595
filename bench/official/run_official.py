"""Times the official PBAS code (cqylunlun/PBAS, MIT) for a few training epochs on MVTec bottle, on this CPU.

Contains none of the official code: it imports an already-fetched checkout from $PBAS_OFFICIAL_DIR and calls
its PBAS class. Modules the training path does not use (tensorboard, tqdm, timm, cv2, pandas, skimage) are
stubbed so Debian's python3-torch 1.13 can run it offline; the ResNet18 ImageNet weights come from
../shared/backbones (layers up to layer3; layer4/fc are not used by the layer2+layer3 taps).
Prints one JSON line: seconds per epoch (the official loop re-extracts backbone features every epoch) and
the peak RSS of this process (DataLoader workers: PBAS_OFFICIAL_WORKERS, default 0, so the peak is one process).
"""
import json
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from py_stubs import Bar, shared_resnet18, stub  # noqa: E402


class _Writer:
    def __init__(self, *a, **k):
        pass

    def add_scalar(self, *a, **k):
        pass


def main():
    official = os.environ["PBAS_OFFICIAL_DIR"]
    shared = os.environ.get("PBAS_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    epochs = int(os.environ.get("BENCH_EPOCHS", "2"))
    threads = int(os.environ.get("PBAS_OFFICIAL_THREADS", "2"))
    workers = int(os.environ.get("PBAS_OFFICIAL_WORKERS", "0"))
    size = int(os.environ.get("PBAS_OFFICIAL_SIZE", "256"))

    import torch
    import torchvision

    torch.set_num_threads(threads)
    stub("torch.utils.tensorboard", SummaryWriter=_Writer)
    stub("tqdm", tqdm=Bar)
    stub("timm")
    stub("cv2")
    stub("pandas")
    stub("skimage", measure=stub("skimage.measure"))
    sys.path.insert(0, official)
    import pbas  # noqa: E402  (the official module, imported from the fetched checkout)
    from datasets import mvtec  # noqa: E402

    backbone = shared_resnet18(shared)

    root = tempfile.mkdtemp(prefix="pbas-official-")
    os.symlink(os.path.abspath(os.path.join(shared, "datasets/mvtec_bottle")), os.path.join(root, "bottle"))
    train = mvtec.MVTecDataset(root, classname="bottle", resize=size, imagesize=size, split=mvtec.DatasetSplit.TRAIN)
    loader = torch.utils.data.DataLoader(train, batch_size=8, shuffle=True, num_workers=workers)

    torch.manual_seed(0)
    model = pbas.PBAS(torch.device("cpu"))
    # The arguments of the official shell/run-mvtec.sh, with ResNet18 and 256 px as our Quick preset.
    model.load(backbone=backbone, layers_to_extract_from=["layer2", "layer3"], device=torch.device("cpu"), input_shape=(3, size, size),
               pretrain_embed_dimension=1536, target_embed_dimension=1536, patchsize=3, meta_epochs=epochs, eval_epochs=10 ** 9,
               dsc_layers=2, dsc_hidden=1024, pre_proj=1, k=0.25)
    model.set_model_dir(os.path.join(root, "models"), "bottle")

    seconds = []
    train_epoch = model._train_discriminator

    def timed(*a, **k):
        t0 = time.perf_counter()
        out = train_epoch(*a, **k)
        seconds.append(time.perf_counter() - t0)
        return out

    model._train_discriminator = timed
    t0 = time.perf_counter()
    model.trainer(loader, None, "bottle")
    total = time.perf_counter() - t0
    print(json.dumps({
        "runtime": f"PyTorch {torch.__version__} CPU, {threads} threads, DataLoader workers {workers}",
        "images": len(train), "steps": len(loader), "epochSeconds": [round(s, 2) for s in seconds],
        "totalSeconds": round(total, 2), "peakRssMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == "__main__":
    main()
